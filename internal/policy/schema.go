package policy

import _ "embed"

// Schema is the policy file's JSON Schema (draft 2020-12), as published
// for editors.
//
//go:embed policy.schema.json
var Schema []byte
