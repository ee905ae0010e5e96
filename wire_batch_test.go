package tim

// Tests of the six list writes together (wwWriters): per-item results,
// answers that do not account for the request's items, and splitting long
// lists into several requests (BatchError).

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWriteItemResults checks, for each list write, per-item failures, the
// order of results, and answers that do not account for every item.
func TestWriteItemResults(t *testing.T) {
	for _, w := range wwWriters {
		t.Run(w.command, func(t *testing.T) {
			ids := w.ids(3)
			t.Run("per-item failure", func(t *testing.T) {
				m := newMock(t)
				m.respond(w.command, 200, wwAnswer(w.command, ids, map[string]ErrorCode{ids[1]: w.itemCode}))
				res, err := w.call(m.client, ids)
				require.NoError(t, err, "the call succeeds while an item failed")
				require.Len(t, res, 3)
				assert.NoError(t, res[0].Err())
				assert.NoError(t, res[2].Err())
				err = res[1].Err()
				require.ErrorIs(t, err, w.itemCode)
				var itemErr *ItemError
				require.ErrorAs(t, err, &itemErr)
				assert.Equal(t, ItemError{Command: w.command, Kind: w.kind, ID: ids[1], Code: w.itemCode}, *itemErr)
				assert.Equal(t, ids[1], res[1].ID)
			})
			t.Run("answer out of order is put in request order", func(t *testing.T) {
				m := newMock(t)
				reversed := slices.Clone(ids)
				slices.Reverse(reversed)
				m.respond(w.command, 200, wwAnswer(w.command, reversed, map[string]ErrorCode{ids[0]: w.itemCode}))
				res, err := w.call(m.client, ids)
				require.NoError(t, err)
				assert.Equal(t, []ItemResult{{Command: w.command, ID: ids[0], ErrorCode: w.itemCode}, {Command: w.command, ID: ids[1]}, {Command: w.command, ID: ids[2]}}, res)
			})
			t.Run("an item listed twice with the same result counts once", func(t *testing.T) {
				m := newMock(t)
				m.respond(w.command, 200, wwAnswer(w.command, append(slices.Clone(ids), ids[0]), nil))
				res, err := w.call(m.client, ids)
				require.NoError(t, err)
				assert.Equal(t, wwOK(w.command, ids...), res)
			})
			t.Run("envelope only", func(t *testing.T) {
				m := newMock(t)
				m.respond(w.command, 200, okEnvelope)
				res, err := w.call(m.client, ids)
				if w.command == "destroy_permission_group" || w.command == "add_topic_permission_group" {
					var de *DecodeError
					require.ErrorAs(t, err, &de, "the docs show the list: an answer without it is malformed")
					assert.Empty(t, res)
					return
				}
				require.NoError(t, err, "no sample shows the list: without it every item succeeded")
				assert.Equal(t, wwOK(w.command, ids...), res)
			})
			if w.command == "delete_permission_group_member" {
				t.Run("empty list: every account succeeded", func(t *testing.T) {
					m := newMock(t)
					m.respond(w.command, 200, wwAnswerItems(w.command))
					res, err := w.call(m.client, ids)
					require.NoError(t, err, "deleting succeeds for every account, so an empty list names no failure")
					assert.Equal(t, wwOK(w.command, ids...), res)
				})
			}
			if w.command == "delete_permission_group_member" {
				t.Run("an account the answer leaves out was deleted", func(t *testing.T) {
					m := newMock(t)
					m.respond(w.command, 200, wwAnswer(w.command, []string{ids[1]}, map[string]ErrorCode{ids[1]: w.itemCode}))
					res, err := w.call(m.client, ids)
					require.NoError(t, err)
					assert.Equal(t, []ItemResult{{Command: w.command, ID: ids[0]}, {Command: w.command, ID: ids[1], ErrorCode: w.itemCode}, {Command: w.command, ID: ids[2]}}, res)
				})
			}
			failures := []struct {
				name, answer, text string
			}{}
			if w.command != "delete_permission_group_member" {
				failures = append(failures, struct{ name, answer, text string }{"answer missing an item", wwAnswer(w.command, []string{ids[0], ids[2]}, nil), fmt.Sprintf("%q", ids[1])})
			}
			if w.command != "delete_permission_group_member" {
				failures = append(failures, struct{ name, answer, text string }{"empty list", wwAnswerItems(w.command), fmt.Sprintf("%q", ids[0])})
			}
			failures = append(failures, []struct {
				name, answer, text string
			}{
				{"null item", wwAnswerItems(w.command, wwItem(w.command, ids[0], 0), "null", wwItem(w.command, ids[2], 0)), "item 1"},
				{"list of the wrong type", wwAnswerItems(w.command, `"x"`), ""},
				// An answer about items the request did not name is not the
				// answer to this request: not a silent success.
				{"an item the request did not name", wwAnswer(w.command, append([]string{"stranger"}, ids...), nil), `"stranger", which the request did not name`},
				{"two different results for one item", wwAnswerItems(w.command,
					wwItem(w.command, ids[0], 0), wwItem(w.command, ids[1], 0), wwItem(w.command, ids[2], 0), wwItem(w.command, ids[0], w.itemCode)),
					fmt.Sprintf("two different results for %q", ids[0])},
			}...)
			for _, f := range failures {
				t.Run(f.name, func(t *testing.T) {
					m := newMock(t)
					m.respond(w.command, 200, f.answer)
					res, err := w.call(m.client, ids)
					var de *DecodeError
					require.ErrorAs(t, err, &de)
					assert.Equal(t, w.command, de.Command)
					assert.Contains(t, err.Error(), f.text)
					assert.Empty(t, res, "no result when the only request's answer is unreadable")
				})
			}
			t.Run("FAIL envelope", func(t *testing.T) {
				m := newMock(t)
				m.respond(w.command, 200, `{"ActionStatus":"FAIL","ErrorCode":10010,"ErrorInfo":"gone","RequestId":"req-1"}`)
				res, err := w.call(m.client, ids)
				require.ErrorIs(t, err, ErrGroupNotFound)
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, APIError{Command: w.command, ActionStatus: "FAIL", Code: ErrGroupNotFound, Info: "gone", RequestID: "req-1", Attempts: 1}, *apiErr)
				var be *BatchError
				assert.False(t, errors.As(err, &be), "a list of one request fails with that request's own error")
				assert.Nil(t, res)
				assert.Len(t, m.requests(), 1)
			})
		})
	}
}

// TestWriteSplitsLongLists sends lists longer than one request allows.
func TestWriteSplitsLongLists(t *testing.T) {
	for _, w := range wwWriters {
		t.Run(w.command, func(t *testing.T) {
			t.Run("exactly the limit is one request", func(t *testing.T) {
				m := newMock(t)
				answerBy(m, w.command, func(_ int, body string) string { return wwAnswer(w.command, wwNamed(body), nil) })
				ids := w.ids(w.size)
				res, err := w.call(m.client, ids)
				require.NoError(t, err)
				reqs := m.requests()
				require.Len(t, reqs, 1)
				assert.JSONEq(t, w.body(ids), reqs[0].Body)
				assert.Equal(t, wwOK(w.command, ids...), res)
			})
			t.Run("one over the limit is two requests, merged in input order", func(t *testing.T) {
				m := newMock(t)
				ids := w.ids(w.size + 1)
				failing := map[string]ErrorCode{ids[3]: w.itemCode, ids[w.size]: w.itemCode}
				answerBy(m, w.command, func(_ int, body string) string {
					named := wwNamed(body)
					slices.Reverse(named) // out of order, so each batch must be put back
					return wwAnswer(w.command, named, failing)
				})
				res, err := w.call(m.client, ids)
				require.NoError(t, err)
				reqs := m.requests()
				require.Len(t, reqs, 2)
				for i, batch := range [][]string{ids[:w.size], ids[w.size:]} {
					assertSigned(t, reqs[i], w.command)
					assert.JSONEq(t, w.body(batch), reqs[i].Body, "request %d", i)
				}
				require.Len(t, res, w.size+1)
				for i, r := range res {
					assert.Equal(t, ItemResult{Command: w.command, ID: ids[i], ErrorCode: failing[ids[i]]}, r)
				}
			})
			t.Run("a failed request stops the split", func(t *testing.T) {
				m := newMock(t)
				ids := w.ids(2*w.size + 1)
				answerBy(m, w.command, func(n int, body string) string {
					if n == 2 {
						return wwFail
					}
					return wwAnswer(w.command, wwNamed(body), nil)
				})
				res, err := w.call(m.client, ids)
				require.ErrorIs(t, err, ErrInvalidParameter)
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, w.command, apiErr.Command)
				assert.Equal(t, "req-9", apiErr.RequestID)
				assert.Equal(t, wwOK(w.command, ids[:w.size]...), res, "the first request's results come with the error")
				var be *BatchError
				require.ErrorAs(t, err, &be)
				assert.Equal(t, w.command, be.Command)
				assert.Equal(t, 2, be.Request, "the second request failed")
				assert.Equal(t, 3, be.Requests)
				assert.Equal(t, res, be.Results, "the error holds the results too")
				assert.Equal(t, ids[w.size:2*w.size], be.Unconfirmed, "the failed request's items")
				assert.Equal(t, ids[2*w.size:], be.NotSent)
				assert.False(t, be.MayHaveApplied(), "the service refused the request")
				assert.Equal(t, fmt.Sprintf("tim: %s: request 2 of 3 failed after %d %ss were done; its %d %ss were not applied, 1 were not sent: error 10004: invalid parameter (invalid)",
					w.command, w.size, w.kind, w.size, w.kind), err.Error())
				reqs := m.requests()
				require.Len(t, reqs, 2, "nothing is sent after the failure")
				assert.JSONEq(t, w.body(ids[w.size:2*w.size]), reqs[1].Body)
			})
			t.Run("an unreadable answer stops the split", func(t *testing.T) {
				m := newMock(t)
				ids := w.ids(2*w.size + 1)
				answerBy(m, w.command, func(n int, body string) string {
					if n == 2 {
						return wwAnswerItems(w.command, "null") // applied, perhaps; the answer does not say
					}
					return wwAnswer(w.command, wwNamed(body), nil)
				})
				res, err := w.call(m.client, ids)
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				assert.Equal(t, wwOK(w.command, ids[:w.size]...), res)
				var be *BatchError
				require.ErrorAs(t, err, &be)
				assert.Equal(t, ids[w.size:2*w.size], be.Unconfirmed)
				assert.Equal(t, ids[2*w.size:], be.NotSent)
				assert.True(t, be.MayHaveApplied(), "an unreadable answer says nothing of what was done")
				assert.Contains(t, err.Error(), fmt.Sprintf("its %d %ss may or may not have been applied", w.size, w.kind))
				assert.Len(t, m.requests(), 2)
			})
			t.Run("a duplicate in a later batch is refused before sending", func(t *testing.T) {
				m := newMock(t)
				m.respond(w.command, 200, okEnvelope)
				ids := w.ids(w.size + 1)
				ids[w.size] = ids[0]
				res, err := w.call(m.client, ids)
				var ve *ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, fmt.Sprintf("%s[%d]", w.list.Go, w.size), ve.Field)
				assert.Equal(t, w.list.Param, ve.Param)
				assert.Nil(t, res)
				assert.Empty(t, m.requests())
			})
		})
	}
}
