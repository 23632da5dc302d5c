module github.com/treeverse/lakefs/modules/block/factory

go 1.25.0

require github.com/treeverse/lakefs v1.80.0
