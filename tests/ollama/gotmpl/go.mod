module nuri/gotmpl

go 1.19
