// Package factory builds the lakeFS configuration: the base config plus the
// auth and ui sections.
package factory

import (
	"fmt"

	"github.com/treeverse/lakefs/pkg/config"
)

// PeerConfig is lakeFS's base configuration with auth and ui sections.
type PeerConfig struct {
	config.BaseConfig `mapstructure:",squash"`
	Auth              config.Auth `mapstructure:"auth"`
	UI                config.UI   `mapstructure:"ui"`
}

// AuthConfig returns the auth section.
func (c *PeerConfig) AuthConfig() config.AuthConfig { return &c.Auth }

// UIConfig returns the ui section.
func (c *PeerConfig) UIConfig() config.UIConfig { return &c.UI }

// Validate checks required keys and the blockstore section.
func (c *PeerConfig) Validate() error {
	if missing := config.ValidateMissingRequiredKeys(c, "mapstructure", "squash"); len(missing) > 0 {
		return fmt.Errorf("%w: %v", config.ErrMissingRequiredKeys, missing)
	}
	return config.ValidateBlockstore(&c.Blockstore)
}

// BuildConfig loads and validates the configuration named cfgType.
func BuildConfig(cfgType string) (config.Config, error) {
	c := &PeerConfig{}
	if _, err := config.NewConfig(cfgType, c); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if err := c.ValidateDomainNames(); err != nil {
		return nil, err
	}
	return c, nil
}
