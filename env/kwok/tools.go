//go:build tools

// Package tools pins kwok for Drydock's local environment.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
