namespace FastPrune.Data;

/// <summary>
/// One batch from <see cref="BatchReader.ReadAll"/>. Its buffers belong to the reader and are refilled once
/// the enumeration moves on, so copy what must outlive the current step.
/// </summary>
/// <param name="Index">Batch number, from 0.</param>
/// <param name="Count">Samples in this batch (the last may be short).</param>
/// <param name="Images">Count×C×H×W floats, NCHW.</param>
/// <param name="Labels">Count labels, or empty when the source has none.</param>
/// <param name="SampleIndices">The source indices of the samples, in batch order.</param>
internal readonly record struct Batch(int Index, int Count, ReadOnlyMemory<float> Images, ReadOnlyMemory<int> Labels, ReadOnlyMemory<int> SampleIndices);
