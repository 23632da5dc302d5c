// Package factory: no external authentication for the test-peer build.
package factory

import (
	"context"
	"time"

	"github.com/treeverse/lakefs/pkg/auth"
	"github.com/treeverse/lakefs/pkg/authentication"
	"github.com/treeverse/lakefs/pkg/config"
	"github.com/treeverse/lakefs/pkg/kv"
	"github.com/treeverse/lakefs/pkg/logging"
)

// BuildAuthenticatorChain authenticates access keys against lakeFS's own user store only
// (no LDAP, no remote authenticator).
func BuildAuthenticatorChain(_ config.Config, _ logging.Logger, authService auth.Service) (auth.ChainAuthenticator, error) {
	return auth.ChainAuthenticator{auth.NewBuiltinAuthenticator(authService)}, nil
}

// NewAuthenticationService returns lakeFS's dummy (not configured) service.
func NewAuthenticationService(_ context.Context, _ config.Config, _ logging.Logger) (authentication.Service, error) {
	return authentication.NewDummyService(), nil
}

type noLoginTokens struct{}

func (noLoginTokens) GetRedirect(context.Context) (*authentication.TokenRedirect, error) {
	return nil, authentication.ErrNotImplemented
}

func (noLoginTokens) Release(context.Context, string) error { return authentication.ErrNotImplemented }

func (noLoginTokens) GetToken(context.Context, string) (string, time.Time, error) {
	return "", time.Time{}, authentication.ErrNotImplemented
}

// NewLoginTokenProvider: token login is not available in this build.
func NewLoginTokenProvider(_ context.Context, _ config.Config, _ logging.Logger, _ kv.Store) (authentication.LoginTokenProvider, error) {
	return noLoginTokens{}, nil
}
