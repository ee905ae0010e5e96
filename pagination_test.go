package tim

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pagedGroup is the community the paginator tests list.
const pagedGroup = "@TGS#_g"

// pagesAPI is a scripted PermissionGroupGetter: answers[cursor] is the page
// for that cursor. It records the requests it got.
type pagesAPI struct {
	answers map[string]PermissionGroupsPage
	fail    map[string]error
	got     []GetPermissionGroupsRequest
}

func (p *pagesAPI) GetPermissionGroups(_ context.Context, req *GetPermissionGroupsRequest) (*PermissionGroupsPage, error) {
	p.got = append(p.got, *req)
	if err := p.fail[req.Next]; err != nil {
		return nil, err
	}
	page, ok := p.answers[req.Next]
	if !ok {
		return nil, errors.New("unexpected cursor " + strconv.Quote(req.Next))
	}
	return &page, nil
}

func groups(ids ...string) []PermissionGroup {
	out := make([]PermissionGroup, len(ids))
	for i, id := range ids {
		out[i] = PermissionGroup{ID: id}
	}
	return out
}

func collect(t *testing.T, seq func(func(PermissionGroup, error) bool)) ([]string, []error) {
	t.Helper()
	var ids []string
	var errs []error
	for g, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, g.ID)
	}
	return ids, errs
}

func TestPaginatorWalksAllPages(t *testing.T) {
	api := &pagesAPI{answers: map[string]PermissionGroupsPage{
		"":   {PermissionGroups: groups("a", "b"), Next: "c1"},
		"c1": {PermissionGroups: groups("c", "d"), Next: "c2"},
		"c2": {PermissionGroups: groups("e"), Next: ""},
	}}
	req := &GetPermissionGroupsRequest{GroupID: pagedGroup}
	ids, errs := collect(t, NewPermissionGroupPaginator(api, req).All(context.Background()))
	assert.Empty(t, errs)
	assert.Equal(t, []string{"a", "b", "c", "d", "e"}, ids)
	require.Len(t, api.got, 3)
	for i, cur := range []string{"", "c1", "c2"} {
		assert.Equal(t, GetPermissionGroupsRequest{GroupID: pagedGroup, Limit: MaxPermissionGroupsPerPage, Next: cur}, api.got[i])
	}
	assert.Equal(t, GetPermissionGroupsRequest{GroupID: pagedGroup}, *req, "the caller's request is not changed")
}

func TestPaginatorPageByPage(t *testing.T) {
	api := &pagesAPI{
		answers: map[string]PermissionGroupsPage{"": {PermissionGroups: groups("a"), Next: "n"}, "n": {PermissionGroups: groups("b")}},
		fail:    map[string]error{},
	}
	p := NewPermissionGroupPaginator(api, &GetPermissionGroupsRequest{GroupID: pagedGroup, Limit: 1})
	require.True(t, p.HasMorePages())
	page, err := p.NextPage(context.Background())
	require.NoError(t, err)
	assert.Equal(t, groups("a"), page)
	assert.Equal(t, "n", p.Cursor())

	// A failed request leaves the paginator where it was: the next call retries the page.
	api.fail["n"] = ErrInternal
	_, err = p.NextPage(context.Background())
	require.ErrorIs(t, err, ErrInternal)
	assert.True(t, p.HasMorePages())
	delete(api.fail, "n")
	page, err = p.NextPage(context.Background())
	require.NoError(t, err)
	assert.Equal(t, groups("b"), page)
	assert.False(t, p.HasMorePages())
	_, err = p.NextPage(context.Background())
	assert.ErrorIs(t, err, ErrNoMorePages)
	assert.Equal(t, []string{"", "n", "n"}, []string{api.got[0].Next, api.got[1].Next, api.got[2].Next})
	assert.Equal(t, 1, api.got[0].Limit)
}

func TestPaginatorRefusesARepeatedCursor(t *testing.T) {
	for name, answers := range map[string]map[string]PermissionGroupsPage{
		"same cursor again": {"": {PermissionGroups: groups("a"), Next: "x"}, "x": {PermissionGroups: groups("b"), Next: "x"}},
		"a cycle":           {"": {PermissionGroups: groups("a"), Next: "x"}, "x": {PermissionGroups: groups("b"), Next: "y"}, "y": {PermissionGroups: groups("c"), Next: "x"}},
	} {
		t.Run(name, func(t *testing.T) {
			api := &pagesAPI{answers: answers}
			ids, errs := collect(t, NewPermissionGroupPaginator(api, &GetPermissionGroupsRequest{GroupID: pagedGroup}).All(context.Background()))
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], ErrCursorRepeated)
			assert.Len(t, ids, len(answers), "every page's items are still yielded")
			assert.Len(t, api.got, len(answers), "no request after the repeat")
		})
	}
	t.Run("a start cursor coming back", func(t *testing.T) {
		api := &pagesAPI{answers: map[string]PermissionGroupsPage{"s": {PermissionGroups: groups("a"), Next: "s"}}}
		_, errs := collect(t, NewPermissionGroupPaginator(api, &GetPermissionGroupsRequest{GroupID: pagedGroup, Next: "s"}).All(context.Background()))
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], ErrCursorRepeated)
	})
}

func TestPaginatorStopsOnErrorAndOnBreak(t *testing.T) {
	api := &pagesAPI{
		answers: map[string]PermissionGroupsPage{"": {PermissionGroups: groups("a", "b"), Next: "n"}},
		fail:    map[string]error{"n": ErrGroupNotFound},
	}
	ids, errs := collect(t, NewPermissionGroupPaginator(api, &GetPermissionGroupsRequest{GroupID: pagedGroup}).All(context.Background()))
	assert.Equal(t, []string{"a", "b"}, ids)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrGroupNotFound)
	assert.Len(t, api.got, 2)

	api = &pagesAPI{answers: map[string]PermissionGroupsPage{"": {PermissionGroups: groups("a", "b"), Next: "n"}}}
	for _, err := range NewPermissionGroupPaginator(api, &GetPermissionGroupsRequest{GroupID: pagedGroup}).All(context.Background()) {
		require.NoError(t, err)
		break
	}
	assert.Len(t, api.got, 1, "breaking out of the loop fetches nothing more")
}

func TestPaginatorYieldsPerItemErrors(t *testing.T) {
	api := &pagesAPI{answers: map[string]PermissionGroupsPage{"": {PermissionGroups: []PermissionGroup{
		{ID: "@PMG#_ok"}, {ID: "@PMG#_gone", ErrorCode: ErrPermissionGroupNotFound}, {ID: "@PMG#_ok2"},
	}}}}
	var ids []string
	var errs []error
	for g, err := range NewPermissionGroupPaginator(api, &GetPermissionGroupsRequest{GroupID: pagedGroup, PermissionGroupIDs: []string{"@PMG#_ok", "@PMG#_gone", "@PMG#_ok2"}}).All(context.Background()) {
		ids = append(ids, g.ID)
		errs = append(errs, err)
	}
	assert.Equal(t, []string{"@PMG#_ok", "@PMG#_gone", "@PMG#_ok2"}, ids, "the loop goes on past a per-item error")
	assert.NoError(t, errs[0])
	assert.ErrorIs(t, errs[1], ErrPermissionGroupNotFound)
	assert.NoError(t, errs[2])
}

func TestPaginatorCopiesTheRequest(t *testing.T) {
	api := &pagesAPI{answers: map[string]PermissionGroupsPage{"": {PermissionGroups: groups("a")}}}
	ids := []string{"@PMG#_a"}
	req := &GetPermissionGroupsRequest{GroupID: pagedGroup, PermissionGroupIDs: ids}
	p := NewPermissionGroupPaginator(api, req)
	req.GroupID = "changed"
	ids[0] = "@PMG#_changed"
	_, err := p.NextPage(context.Background())
	require.NoError(t, err)
	assert.Equal(t, pagedGroup, api.got[0].GroupID)
	assert.Equal(t, []string{"@PMG#_a"}, api.got[0].PermissionGroupIDs)
}

func TestPaginatorInvalidRequestSendsNothing(t *testing.T) {
	api := &pagesAPI{}
	_, errs := collect(t, NewPermissionGroupPaginator(api, &GetPermissionGroupsRequest{}).All(context.Background()))
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrInvalidRequest)
	assert.Empty(t, api.got)
}

func TestCursorDecoding(t *testing.T) {
	for in, want := range map[string]string{`""`: "", `"abc"`: "abc", `123`: "123", `0`: "", `0.0`: "", `null`: "", `1e3`: "1e3", `"0"`: "0"} {
		var c cursor
		require.NoError(t, c.UnmarshalJSON([]byte(in)), in)
		assert.Equal(t, want, string(c), in)
	}
	for _, in := range []string{`true`, `{}`, `[]`, ``, `"unterminated`} {
		var c cursor
		assert.Error(t, c.UnmarshalJSON([]byte(in)), in)
	}
}

func TestPaginatorResumesAfterABreak(t *testing.T) {
	api := &pagesAPI{answers: map[string]PermissionGroupsPage{
		"":  {PermissionGroups: groups("a", "b", "c"), Next: "n"},
		"n": {PermissionGroups: groups("d", "e", "f"), Next: "n"}, // then a repeated cursor
	}}
	p := NewPermissionGroupPaginator(api, &GetPermissionGroupsRequest{GroupID: pagedGroup})
	var got []string
	var errs []error
	take := func(n int) {
		for g, err := range p.All(context.Background()) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			got = append(got, g.ID)
			if n--; n == 0 {
				break
			}
		}
	}
	take(1) // stops inside the first page
	take(4) // the rest of it, then into the second
	page, err := p.NextPage(context.Background())
	assert.Equal(t, groups("f"), page, "NextPage returns the rest of the page the loop stopped in")
	assert.ErrorIs(t, err, ErrCursorRepeated, "with the error that came with it")
	assert.Equal(t, []string{"a", "b", "c", "d", "e"}, got)
	assert.Empty(t, errs)
	assert.False(t, p.HasMorePages())
	assert.Len(t, api.got, 2, "no page is fetched twice")
}

// A cycle longer than the cursors the paginator remembers is still caught,
// within a few turns, and distinct cursors never are.
func TestPaginatorCatchesLongCycles(t *testing.T) {
	for _, tc := range []struct{ lead, cycle int }{{0, 33}, {5, 50}, {40, 200}, {1, 1000}} {
		t.Run(fmt.Sprintf("%d pages then a cycle of %d", tc.lead, tc.cycle), func(t *testing.T) {
			answers := map[string]PermissionGroupsPage{}
			name := func(i int) string { return "c" + strconv.Itoa(i) }
			prev := ""
			for i := range tc.lead + tc.cycle {
				answers[prev] = PermissionGroupsPage{PermissionGroups: groups(name(i)), Next: name(i)}
				prev = name(i)
			}
			answers[prev] = PermissionGroupsPage{PermissionGroups: groups("back"), Next: name(tc.lead)} // back into the cycle
			api := &pagesAPI{answers: answers}
			_, errs := collect(t, NewPermissionGroupPaginator(api, &GetPermissionGroupsRequest{GroupID: pagedGroup}).All(context.Background()))
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], ErrCursorRepeated)
			assert.LessOrEqual(t, len(api.got), tc.lead+3*tc.cycle+1, "caught within a few turns")
		})
	}
	t.Run("10,000 distinct cursors", func(t *testing.T) {
		answers := map[string]PermissionGroupsPage{}
		prev := ""
		for i := range 10000 {
			next := "c" + strconv.Itoa(i)
			if i == 9999 {
				next = ""
			}
			answers[prev] = PermissionGroupsPage{PermissionGroups: groups(strconv.Itoa(i)), Next: next}
			prev = next
		}
		ids, errs := collect(t, NewPermissionGroupPaginator(&pagesAPI{answers: answers}, &GetPermissionGroupsRequest{GroupID: pagedGroup}).All(context.Background()))
		assert.Empty(t, errs)
		assert.Len(t, ids, 10000)
	})
}
