// Package factory builds the lakeFS auth service (basic KV-backed mode) for a
// Delta Explorer test-peer build.
package factory

import (
	"context"

	"github.com/treeverse/lakefs/pkg/auth"
	pkgfactory "github.com/treeverse/lakefs/pkg/auth/factory"
	"github.com/treeverse/lakefs/pkg/config"
	"github.com/treeverse/lakefs/pkg/kv"
	"github.com/treeverse/lakefs/pkg/logging"
)

// NewAuthService delegates to lakeFS's own pkg/auth/factory.
func NewAuthService(ctx context.Context, cfg config.Config, logger logging.Logger, kvStore kv.Store, mm *auth.KVMetadataManager) (auth.Service, error) {
	return pkgfactory.NewAuthService(ctx, cfg, logger, kvStore, mm), nil
}
