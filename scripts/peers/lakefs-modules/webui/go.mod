module github.com/treeverse/lakefs/webui

go 1.25.0
