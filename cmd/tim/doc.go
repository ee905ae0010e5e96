// Command tim keeps the permission groups of a Tencent Cloud Chat community
// as code, with package github.com/timkit/tim/community: a spec file (JSON,
// kept in git) says which permission groups the community has, what they may
// do, in which topics, and who is in them; tim shows and makes the changes
// that bring the community to it, with terraform's contract.
//
// Usage:
//
//	tim export --group GROUP_ID        print the community's spec (JSON) on stdout
//	tim plan -f spec.json [-out FILE]  show what apply would change; save the plan
//	tim apply -f spec.json             show the plan, ask, make the changes, check them
//	tim apply FILE                     apply a saved plan exactly, if nothing changed since
//	tim access -group G -account A     what A may do in G (-topic T: and in T), and why
//
// "tim VERB -h" lists a verb's flags. -f - reads the spec from stdin.
// A spec may be YAML too: by its extension (.yaml, .yml), or on stdin by
// its first character; export -format yaml writes one. Errors in a spec
// name the file, the line and the column (community.ParseSpecFile).
//
// The spec format is community.Spec's: "group_id", "prune" (destroy the
// permission groups the spec does not name; default false; groups whose ID
// the service made are kept unless "prune_server_made": true) and
// "permission_groups", each with "id" (a custom "@PMG#_…" ID), "name" and
// "permission" (a number, a list of names such as ["SendMessage",
// "AtAll"], or "SendMessage|AtAll"), and optionally "custom_string", "topics" and "members": a field
// left out is not managed, a field present (even empty) is exact. A key
// written twice is an error. See examples/specs/demo.json and demo.yaml.
//
// tim access answers the question support asks when a user cannot post:
// the account's role, its permission groups, the community's switch and
// default, then each permission of the account in the community (and in
// the topic) with the rule and the groups it comes from, and what is
// inferred. -json prints it as one document (format_version 1).
//
// # The contract
//
// plan exits 0 whether or not changes are pending; with -detailed-exitcode
// it exits 0 for no changes, 2 for changes pending, 1 for an error. -out
// FILE saves the plan: the spec, the operations and a fingerprint of every
// part of the community the plan depends on. -json prints the plan as one
// JSON document (community.FormatVersion).
//
// apply -f prints the plan and asks for "yes" unless -auto-approve; with no
// terminal on stdin and no -auto-approve it refuses before any write. apply
// FILE does not ask: it reads again what the plan depends on and refuses,
// "saved plan is stale", if any of it changed. A plan that destroys every
// permission group (a pruning spec that names none) is always asked about
// at a terminal. After applying, apply reads the changed groups again and
// exits 0 only if they match the spec; what differs is printed like a plan.
// The first SIGINT or SIGTERM starts nothing new and waits (up to 10 s) for
// the writes already sent; a second aborts them.
//
// # Configuration
//
// Flags first, then the environment:
//
//	--sdkappid   TIM_SDKAPPID    the app's SDKAppID
//	             TIM_SECRET_KEY  the app's secret key (from the environment only)
//	--admin      TIM_ADMIN       an app admin account
//	--region     TIM_REGION      a region name (singapore, ...), or
//	--base-url   TIM_BASE_URL    a base URL; both set is an error
//
// With none of them set it refuses, unless given --demo: then it runs against
// an embedded fake service (package timtest) seeded with the community
// @TGS#_demo, and says so on stderr. Each --demo run starts a fresh fake:
//
//	go run ./cmd/tim plan --demo -f examples/specs/demo.json
//	go run ./cmd/tim apply --demo -auto-approve -f examples/specs/demo.json
//
// Output that is data (a spec, a plan, outcomes) goes to stdout; progress,
// prompts and diagnostics go to stderr. Exit status:
//
//	export  0 done, 1 error
//	access  0 answered (an account that is not a member may do nothing: an answer), 1 error
//	plan    0 done (with -detailed-exitcode: 0 no changes, 2 changes pending), 1 error
//	apply   0 the community now matches the spec, 1 it does not (or an error)
//
// Bad flags exit 1 too, so that 2 only ever means "changes pending".
package main
