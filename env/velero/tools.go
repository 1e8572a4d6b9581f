//go:build tools

// Package tools pins the Velero command Drydock's Velero interop tests build.
package tools

import (
	_ "github.com/vmware-tanzu/velero/cmd/velero"
	_ "k8s.io/cli-runtime/pkg/genericclioptions"
)
