// Package factory: no extra S3 gateway middleware.
package factory

import (
	"context"
	"net/http"

	"github.com/treeverse/lakefs/pkg/config"
	"github.com/treeverse/lakefs/pkg/logging"
)

// MiddlewareFactory builds a middleware wrapped around the S3 gateway handler.
type MiddlewareFactory interface {
	Build() func(http.Handler) http.Handler
}

type identity struct{}

func (identity) Build() func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler { return h }
}

// BuildMiddleware returns the identity middleware.
func BuildMiddleware(_ context.Context, _ config.Config, _ logging.Logger) (MiddlewareFactory, error) {
	return identity{}, nil
}
