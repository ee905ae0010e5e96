package community_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
	"github.com/timkit/tim/timtest"
)

// randomSeeds is how many seeds the randomized tests run: a few by default,
// COMMUNITY_RANDOM_SEEDS=500 for a long run.
func randomSeeds(t *testing.T, def int) int {
	if s := os.Getenv("COMMUNITY_RANDOM_SEEDS"); s != "" {
		n, err := strconv.Atoi(s)
		require.NoError(t, err, "COMMUNITY_RANDOM_SEEDS")
		return n
	}
	return def
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x636f6d6d756e6974)) }

// TestRandomApply: random communities × random specs. Diff, Simulate and
// Apply agree: after Apply the community is what Simulate said, its export
// holds the spec's managed parts, the writes made are the plan's count, and
// a second plan is empty (and a second Apply makes no call).
func TestRandomApply(t *testing.T) {
	t.Parallel()
	for seed := range uint64(randomSeeds(t, 12)) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			r := newRand(seed)
			sh := smallShape
			if seed%6 == 5 {
				sh = splitShape
			}
			srv, client := newFake(t)
			w := seedWorld(t, srv, r, fmt.Sprint("r", seed), sh)
			ctx := ctxT(t)
			snap, err := community.Load(ctx, client, w.groupID, nil)
			require.NoError(t, err)
			spec := randomSpec(r, w, snap, sh)

			plan, err := community.Diff(snap, spec)
			require.NoError(t, err)
			sim, err := community.Simulate(snap, plan)
			require.NoError(t, err)
			again, err := community.Diff(sim, spec)
			require.NoError(t, err)
			require.True(t, again.Empty(), "a plan of the simulated result:\n%s", again)

			srv.ResetRequests()
			res, err := community.Apply(ctx, client, plan, nil)
			require.NoError(t, err, "%s", plan)
			assert.True(t, res.Complete())
			assert.Equal(t, plan.Summary().Calls, writes(srv), "writes made")
			assert.Equal(t, plan.Summary().Calls, res.Calls, "calls counted")

			after, err := community.Load(ctx, client, w.groupID, nil)
			require.NoError(t, err)
			assert.Equal(t, sim, after, "Simulate and the fake")
			exported, _ := community.Export(after) // server-made IDs are reported and left out
			assert.Equal(t, normalized(spec), normalized(managed(spec, exported)))
			second, err := community.Diff(after, spec)
			require.NoError(t, err)
			assert.True(t, second.Empty(), "second plan:\n%s", second)
			srv.ResetRequests()
			_, err = community.Apply(ctx, client, second, nil)
			require.NoError(t, err)
			assert.Zero(t, writes(srv), "second apply")
		})
	}
}

// faults are what TestRandomFaults injects into writes: retryable codes, a
// 502, dropped connections before and after the command ran.
var faults = []timtest.Fault{
	{Code: tim.ErrInternal},
	{Code: tim.ErrRateLimitExceeded},
	{Code: tim.ErrServerTimeout},
	{Status: 502},
	{Drop: true},
	{Drop: true, AfterApply: true},
	{Drop: true, AfterApply: true},
	{Status: 502, AfterApply: true},
	{Pass: true},
}

// TestRandomFaults: random communities × random specs × random faults in
// the writes. Re-running plan and apply converges within a few runs, and the
// fake's record shows no write of a change that already held: no create of
// an existing ID, no add of a member or topic already there, no second
// delete or destroy.
func TestRandomFaults(t *testing.T) {
	t.Parallel()
	for seed := range uint64(randomSeeds(t, 12)) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			r := newRand(1000 + seed)
			sh := smallShape
			if seed%6 == 5 {
				sh = splitShape
			}
			srv, client := newFake(t)
			w := seedWorld(t, srv, r, fmt.Sprint("f", seed), sh)
			ctx := ctxT(t)
			start, err := community.Load(ctx, client, w.groupID, nil)
			require.NoError(t, err)
			spec := randomSpec(r, w, start, sh)
			srv.ResetRequests()

			// Faults go into the writes of the first two runs (the client
			// retries some; Apply stops at the others); a fault queued for
			// a command the run did not reach waits for a later run.
			const faultyRuns, maxRuns = 2, 12
			runs, converged := 0, false
			var snap *community.Snapshot
			for runs < maxRuns {
				snap, err = community.Load(ctx, client, w.groupID, nil)
				require.NoError(t, err)
				plan, err := community.Diff(snap, spec)
				require.NoError(t, err)
				if plan.Empty() {
					converged = true
					break
				}
				runs++
				for range r.IntN(4) {
					if runs > faultyRuns {
						break
					}
					cmd := plan.Ops[r.IntN(len(plan.Ops))].Kind.Command()
					require.NoError(t, srv.FailNext(cmd, 1, faults[r.IntN(len(faults))]))
				}
				res, err := community.Apply(ctx, client, plan, &community.ApplyOptions{Concurrency: 1 + r.IntN(3)})
				if os.Getenv("DEBUG_FAULTS") != "" {
					t.Logf("run %d:\n%s\n%s", runs, plan, res)
				}
				if err != nil {
					var ae *community.ApplyError
					require.ErrorAs(t, err, &ae)
					assert.Positive(t, ae.Failed+ae.Unknown, "%s", res.SummaryLine())
				}
			}
			require.True(t, converged, "not converged after %d runs", runs)
			m := newModel(start)
			assert.Empty(t, m.replay(srv.Requests()), "writes of changes that held already")
			if os.Getenv("DEBUG_FAULTS") != "" {
				for i, r := range srv.Requests() {
					t.Logf("%d %s code=%d fault=%+v body=%s", i, r.Command, r.ErrorCode, r.Fault, r.Body)
				}
			}
			assert.True(t, m.equal(snap), "the replayed record (%v) and the fake differ", m.ids())
		})
	}
}
