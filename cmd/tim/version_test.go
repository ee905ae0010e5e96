package main

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/timkit/tim"
)

func TestVersion(t *testing.T) {
	status, stdout, stderr := runTim(t, "", "version")
	assert.Equal(t, exitOK, status)
	assert.Equal(t, "tim "+tim.Version+" "+runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH+"\n", stdout)
	assert.Empty(t, stderr)

	status, stdout, stderr = runTim(t, "", "version", "extra")
	assert.Equal(t, exitError, status)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, `unexpected argument "extra"`)

	status, _, stderr = runTim(t, "", "version", "-h")
	assert.Equal(t, exitOK, status)
	assert.Contains(t, stderr, "usage: tim version")
}
