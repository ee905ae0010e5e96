package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/timkit/tim/community"
)

// planFile is what tim plan -out saves: the plan (with its spec and
// fingerprint, community.FormatVersion) and the app it was made for, so
// that a plan made for one app is never applied to another. It holds no
// credential.
type planFile struct {
	FormatVersion int             `json:"format_version"`
	SDKAppID      uint64          `json:"sdkappid"`
	Plan          *community.Plan `json:"plan"`
}

// planFileVersion is the version of the plan-file envelope.
const planFileVersion = 1

// savePlan writes the plan file at path, readable by its owner only (it
// names accounts), replacing it whole or not at all.
func savePlan(path string, appID uint64, p *community.Plan) error {
	data, err := json.MarshalIndent(planFile{FormatVersion: planFileVersion, SDKAppID: appID, Plan: p}, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tim-plan-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// readPlan reads a plan file.
func readPlan(path string) (*planFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 2*community.MaxSpecBytes+1))
	if err != nil {
		return nil, err
	}
	var pf planFile
	if err := json.Unmarshal(data, &pf); err != nil {
		return nil, fmt.Errorf("%s: not a plan file: %w", path, err)
	}
	switch {
	case pf.FormatVersion != planFileVersion:
		return nil, fmt.Errorf("%s: plan file format_version %d; this tim reads %d", path, pf.FormatVersion, planFileVersion)
	case pf.Plan == nil || pf.Plan.Spec == nil:
		return nil, errors.New(path + ": the plan file holds no plan and spec")
	}
	return &pf, nil
}
