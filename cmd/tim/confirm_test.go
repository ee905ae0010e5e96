package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestApplyInterruptAtThePrompt: Ctrl-C at "Enter a value:" cancels the
// apply at once, as terraform's does: exit 1, nothing written, and the
// interrupt is not held over to stop a later apply.
func TestApplyInterruptAtThePrompt(t *testing.T) {
	srv := demoFake(t)
	stdin, answer := io.Pipe()
	defer answer.Close() // the operator never answers
	sigs := make(chan os.Signal, 2)
	var out bytes.Buffer
	errOut := &watchedBuffer{}
	e := &env{stdin: stdin, stdout: &out, stderr: errOut, isTerminal: func() bool { return true }, signals: sigs}
	done := make(chan int, 1)
	go func() { done <- run(context.Background(), e, []string{"apply", "-f", demoSpec}) }()
	errOut.await(t, "Enter a value: ")

	sigs <- syscall.SIGINT

	status := exited(t, done, "Ctrl-C at the prompt was ignored")
	assert.Equal(t, exitError, status)
	assert.Contains(t, errOut.String(), "Apply cancelled: interrupted at the prompt; nothing was applied.")
	assert.NotContains(t, out.String(), "Applying:")
	assert.Empty(t, writesTo(srv), "nothing written")
	assert.Empty(t, sigs, "the interrupt was taken by the prompt")
}
