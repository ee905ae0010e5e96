package tim_test

// The README's "Create topics and add members" and "Any other command"
// snippets, run as written against the fake.

import (
	"context"
	"errors"
	"fmt"
	"log"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/timkit/tim"
	"github.com/timkit/tim/timtest"
)

func TestNewUserCommunitySnippets(t *testing.T) {
	ctx := context.Background()
	srv := timtest.NewServer()
	t.Cleanup(srv.Close)
	const groupID = "@TGS#_demo"
	require.NoError(t, srv.CreateCommunity(groupID, "owner"))
	require.NoError(t, srv.AddMember(groupID, "amy", tim.RoleMember))
	client, err := srv.NewClient()
	require.NoError(t, err)
	accounts := []string{"amy", "bob"}

	err = func() error {
		topicID, err := client.CreateTopic(ctx, &tim.CreateTopicRequest{
			GroupID: groupID, TopicID: groupID + "@TOPIC#_news", Name: "News", // a custom ID in use matches tim.ErrIDInUse
		})
		if err != nil {
			return err
		}
		assert.Equal(t, groupID+"@TOPIC#_news", topicID)
		results, err := client.AddGroupMembers(ctx, &tim.AddGroupMembersRequest{GroupID: groupID, Accounts: accounts}) // split at 300
		if err != nil {
			return err
		}
		var already []string
		for _, r := range results {
			switch err := r.Err(); {
			case errors.Is(err, tim.ErrAlreadyMember): // Result 2
				already = append(already, r.ID)
			case errors.Is(err, tim.ErrAwaitingConfirmation): // Result 3: invited, not a member yet
			case err != nil: // tim.ErrNotAdded for Result 0, which carries no code
				log.Printf("%s: %v", r.ID, err)
			}
		}
		assert.Equal(t, []string{"amy"}, already)
		var listed []string
		for m, err := range client.AllGroupMembers(ctx, &tim.GetGroupMembersRequest{GroupID: groupID}) { // pages with Next
			if err != nil {
				return err
			}
			fmt.Println(m.Account, m.Role, m.MutedUntil)
			listed = append(listed, m.Account)
		}
		assert.Equal(t, []string{"owner", "amy", "bob"}, listed)

		var joined struct{ TotalCount int }
		err = client.Do(ctx, tim.ServiceGroup, "get_joined_group_list",
			map[string]any{"Member_Account": "amy", "GroupType": "Community"}, &joined) // a FAIL is a *tim.APIError
		var apiErr *tim.APIError
		assert.ErrorAs(t, err, &apiErr, "the fake does not serve get_joined_group_list: the service's own 10003")
		assert.ErrorIs(t, err, tim.ErrInvalidCommand)

		var resp struct {
			TopicAndSelfInfo []struct{ TopicInfo struct{ TopicName string } }
		}
		err = client.Do(ctx, tim.ServiceMillionGroup, "get_topic",
			map[string]any{"GroupId": groupID, "From_Account": "amy"}, &resp)
		if err != nil {
			return err
		}
		assert.Equal(t, "News", resp.TopicAndSelfInfo[0].TopicInfo.TopicName)
		return nil
	}()
	require.NoError(t, err)
}
