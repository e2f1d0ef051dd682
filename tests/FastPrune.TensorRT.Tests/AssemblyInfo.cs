global using Xunit;

// The fake's live-handle counter is process-wide, so tests that assert on it must not overlap.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
