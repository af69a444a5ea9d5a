"""The Dutch spaCy pipeline and the analysis attached to each Doc."""
