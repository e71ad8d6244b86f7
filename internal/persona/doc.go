// Package persona holds the expert reviewers every tool call is put before
// (seed §Step 4): Sarah Chen (technical architect, always consulted),
// Marcus Rodriguez (security), Emily Watson (code quality) and Rachel
// Torres (data and configuration), plus any custom personas a policy
// declares. Each returns approve (govern.Allow), ask or deny, a risk, and
// reasons and recommendations written for the developer; a Panel combines
// them by consensus. Reviews are pure, deterministic and fast: no I/O, no
// clock, no randomness.
package persona
