//go:build unix

package tim

// ProcessUsage is processUsage, for the benchmarks of package tim_test.
var ProcessUsage = processUsage
