// Package govern is the domain of govern, the policy enforcer for AI coding
// agents: the request an agent makes, the decision the engine returns, and
// the errors every transport maps to its own codes.
//
// It imports only the standard library. Behaviour lives in internal/<concern>;
// cmd/govern wires it together.
package govern
