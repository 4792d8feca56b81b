"""Reports and exports: who is in a segment or a combination of segments (grid and files),
how a segment's size changes over time, how segments overlap, and who changed what."""
