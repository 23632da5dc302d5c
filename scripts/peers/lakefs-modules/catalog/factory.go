// Package factory: no extra conflict resolvers or extended operations.
package factory

import (
	"github.com/treeverse/lakefs/pkg/block"
	"github.com/treeverse/lakefs/pkg/catalog"
	"github.com/treeverse/lakefs/pkg/config"
	"github.com/treeverse/lakefs/pkg/graveler"
)

// BuildConflictResolvers returns none.
func BuildConflictResolvers(_ config.Config, _ block.Adapter) []graveler.ConflictResolver { return nil }

// BuildExtendedOperations returns lakeFS's no-op implementation.
func BuildExtendedOperations(_ *catalog.Catalog) catalog.ExtendedOperations {
	return catalog.NewNoopExtendedOperations()
}
