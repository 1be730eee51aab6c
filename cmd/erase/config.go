package main

import (
	"os"
	"path/filepath"

	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/internal/datafile"
)

// config is config.yaml in the config directory: delivery settings. It
// never holds the SMTP password in clear; it may name a file or a command
// that gives it.
type config struct {
	Via  string `yaml:"via,omitempty"`
	SMTP struct {
		Host            string `yaml:"host,omitempty"`
		Port            int    `yaml:"port,omitempty"`
		User            string `yaml:"user,omitempty"`
		TLS             string `yaml:"tls,omitempty"`
		CA              string `yaml:"ca,omitempty"`
		PasswordFile    string `yaml:"password_file,omitempty"`
		PasswordCommand string `yaml:"password_command,omitempty"`
	} `yaml:"smtp,omitempty"`
}

func (e *env) configPath() string {
	dir, err := e.configDir()
	if err != nil {
		return "config.yaml"
	}
	return filepath.Join(dir, "config.yaml")
}

// loadConfig reads config.yaml strictly; a missing file is an empty config.
func (e *env) loadConfig() (*config, error) {
	var c config
	path := e.configPath()
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return &c, nil
	}
	if err != nil {
		return nil, err
	}
	if err := datafile.DecodeStrict(data, &c); err != nil {
		return nil, badinput.Errorf("%s: %v", path, err).
			Hint("config.yaml keys: via, smtp.host, smtp.port, smtp.user, smtp.tls, smtp.ca, smtp.password_file, smtp.password_command")
	}
	return &c, nil
}
