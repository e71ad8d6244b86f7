// Package secret finds credentials in text (commands, prompts, written
// content) and masks them, so that they never reach the audit trail or
// the logs in clear.
package secret
