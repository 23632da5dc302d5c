// Package factory builds the configured lakeFS block adapter (with metrics).
package factory

import (
	"context"

	"github.com/treeverse/lakefs/pkg/block"
	pkgfactory "github.com/treeverse/lakefs/pkg/block/factory"
	"github.com/treeverse/lakefs/pkg/config"
	"github.com/treeverse/lakefs/pkg/stats"
)

// BuildBlockAdapter delegates to lakeFS's pkg/block/factory.
func BuildBlockAdapter(ctx context.Context, collector stats.Collector, cfg config.Config) (block.Adapter, error) {
	a, err := pkgfactory.BuildBlockAdapter(ctx, collector, cfg.StorageConfig().GetStorageByID(config.SingleBlockstoreID))
	if err != nil {
		return nil, err
	}
	return block.NewMetricsAdapter(a), nil
}
