package redisrate

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/stretchr/testify/assert"
)

func TestToLimit(t *testing.T) {
	for _, tc := range []struct {
		perSecond float64
		burst     int
		want      redis_rate.Limit
	}{
		{180, 20, redis_rate.Limit{Rate: 180, Period: time.Second, Burst: 20}},
		{1, 1, redis_rate.Limit{Rate: 1, Period: time.Second, Burst: 1}},
		{1e9, 1e6, redis_rate.Limit{Rate: 1e9, Period: time.Second, Burst: 1e6}},
		{0.5, 1, redis_rate.Limit{Rate: 1, Period: 2 * time.Second, Burst: 1}},
		{2.5, 3, redis_rate.Limit{Rate: 3, Period: 1200 * time.Millisecond, Burst: 3}},
		{1.0 / 3, 1, redis_rate.Limit{Rate: 1, Period: 3 * time.Second, Burst: 1}},
		{0.001, 1, redis_rate.Limit{Rate: 1, Period: 1000 * time.Second, Burst: 1}},
	} {
		assert.Equal(t, tc.want, toLimit(tc.perSecond, tc.burst), "%v", tc.perSecond)
	}
}

// Whatever the rate, the script spaces calls by Period/Rate = 1/perSecond
// to within 10⁻⁹, and the Period stays within [1 s, 2 s) for fractional
// rates of 1 or more.
func TestToLimitSpacing(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 10000 {
		perSecond := math.Exp(r.Float64()*40 - 15) // about 3e-7 to 7e10
		l := toLimit(perSecond, 1)
		got := l.Period.Seconds() / float64(l.Rate)
		assert.InEpsilon(t, 1/perSecond, got, 1e-9, "%v → %v", perSecond, l)
		if perSecond >= 1 && perSecond != math.Trunc(perSecond) {
			assert.True(t, l.Period >= time.Second && l.Period < 2*time.Second, "%v → %v", perSecond, l)
		}
	}
}
