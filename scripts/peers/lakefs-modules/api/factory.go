// Package factory wires the optional API services of lakeFS for an open-source
// build used as a Delta Explorer test peer: no extra services, no Iceberg sync,
// only the If-None-Match: * precondition on uploads.
package factory

import (
	"context"
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/treeverse/lakefs/pkg/api/apigen"
	"github.com/treeverse/lakefs/pkg/auth"
	"github.com/treeverse/lakefs/pkg/authentication"
	"github.com/treeverse/lakefs/pkg/block"
	"github.com/treeverse/lakefs/pkg/catalog"
	"github.com/treeverse/lakefs/pkg/config"
	"github.com/treeverse/lakefs/pkg/graveler"
	"github.com/treeverse/lakefs/pkg/icebergsync"
	"github.com/treeverse/lakefs/pkg/license"
	"github.com/treeverse/lakefs/pkg/logging"
	"github.com/treeverse/lakefs/pkg/stats"
)

// ServiceDependencies is what cmd/lakefs hands to RegisterServices.
type ServiceDependencies struct {
	Config                config.Config
	AuthService           auth.Service
	Authenticator         auth.Authenticator
	AuthenticationService authentication.Service
	BlockAdapter          block.Adapter
	Catalog               *catalog.Catalog
	Collector             stats.Collector
	Logger                logging.Logger
	LicenseManager        license.Manager
}

// RegisterServices answers the Iceberg REST catalog routes with 501.
func RegisterServices(_ context.Context, _ ServiceDependencies, router *chi.Mux) error {
	notImplemented := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "not implemented in this build", http.StatusNotImplemented)
	})
	for _, prefix := range []string{"/iceberg/api/", "/iceberg/relative_to/", "/mds/iceberg/api/"} {
		router.Mount(prefix, notImplemented)
	}
	return nil
}

// BuildConditionFromParams supports only "If-None-Match: *" (create if absent).
func BuildConditionFromParams(ifMatch, ifNoneMatch *string) (*graveler.ConditionFunc, error) {
	var cond graveler.ConditionFunc
	if ifMatch != nil {
		return nil, fmt.Errorf("If-Match: %w", catalog.ErrNotImplemented)
	}
	if ifNoneMatch != nil {
		if *ifNoneMatch != "*" {
			return nil, fmt.Errorf("If-None-Match other than '*': %w", catalog.ErrNotImplemented)
		}
		cond = func(current *graveler.Value) error {
			if current != nil {
				return graveler.ErrPreconditionFailed
			}
			return nil
		}
	}
	return &cond, nil
}

// BuildOptsFromParams maps copy-object options; shallow copies are not supported.
func BuildOptsFromParams(body apigen.CopyObjectJSONRequestBody) ([]graveler.SetOptionsFunc, error) {
	if body.Shallow != nil && *body.Shallow {
		return nil, catalog.ErrNotImplemented
	}
	force := body.Force != nil && *body.Force
	return []graveler.SetOptionsFunc{graveler.WithForce(force)}, nil
}

// NewIcebergSyncController returns the no-op controller.
func NewIcebergSyncController(_ config.Config) icebergsync.Controller {
	return &icebergsync.NopController{}
}
