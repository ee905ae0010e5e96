package exampleenv

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClientRefusesRegionWithBaseURL(t *testing.T) {
	for k, v := range map[string]string{
		"TIM_SDKAPPID": "1400000000", "TIM_SECRET_KEY": "k", "TIM_ADMIN": "admin",
		"TIM_REGION": "singapore", "TIM_BASE_URL": "http://127.0.0.1:1",
	} {
		t.Setenv(k, v)
	}
	c, err := Client()
	require.Error(t, err)
	assert.Nil(t, c)
	assert.Contains(t, err.Error(), "TIM_REGION and TIM_BASE_URL")

	t.Setenv("TIM_REGION", "")
	c, err = Client()
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:1", c.BaseURL())
	c.Close()
}
