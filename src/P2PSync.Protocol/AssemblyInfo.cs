// Protocol types arrive with the node issue.
