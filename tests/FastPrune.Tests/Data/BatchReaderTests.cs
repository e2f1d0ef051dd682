using FastPrune.Data;
using SkiaSharp;
using Xunit;

namespace FastPrune.Tests.Data;

public sealed class BatchReaderTests
{
    private static readonly SampleShape Shape = new(2, 3, 2);

    private static (NpySource Source, float[] Data) Npy(TempDir dir, int n, bool labels = true)
    {
        var rng = new Random(17);
        float[] data = [.. Enumerable.Range(0, n * Shape.Length).Select(_ => (float)rng.NextDouble())];
        NpyFile.Write(dir.File("x.npy"), data, [n, 2, 3, 2]);
        if (labels)
        {
            NpyFile.Write(dir.File("y.npy"), [.. Enumerable.Range(0, n).Select(i => (long)(i * 3 % 7))], [n]);
        }
        return (new NpySource(dir.File("x.npy"), Shape, labels ? dir.File("y.npy") : null), data);
    }

    [Fact]
    public void ReadBatch_IndexList_FillsNchwAndLabelsInIndexOrder()
    {
        using var dir = new TempDir();
        (NpySource src, float[] data) = Npy(dir, 20);
        using NpySource owned = src;
        int[] indices = [13, 2, 19, 0, 7];
        var reader = new BatchReader(src, indices, batchSize: 2, maxDegreeOfParallelism: 2);
        var images = new float[reader.BufferLength];
        var labels = new int[2];

        Assert.Equal(3, reader.BatchCount);
        for (int b = 0; b < reader.BatchCount; b++)
        {
            Array.Fill(images, float.NaN);
            int n = reader.ReadBatch(b, images, labels);
            Assert.Equal(b < 2 ? 2 : 1, n);
            for (int k = 0; k < n; k++)
            {
                int idx = indices[b * 2 + k];
                Assert.Equal(data.AsSpan(idx * 12, 12).ToArray(), images.AsSpan(k * 12, 12).ToArray());
                Assert.Equal(idx * 3 % 7, labels[k]);
            }
        }
    }

    [Fact]
    public void ReadAll_ManyBatches_YieldsEverySampleOnceWithRightData()
    {
        using var dir = new TempDir();
        (NpySource src, float[] data) = Npy(dir, 23);
        using NpySource owned = src;
        DataSplit split = DataSplit.Create(23, 10, 13, seed: 1);
        var reader = new BatchReader(src, split.Evaluation, batchSize: 4);

        var seen = new List<int>();
        foreach (Batch batch in reader.ReadAll())
        {
            Assert.Equal(batch.Count * 12, batch.Images.Length);
            for (int k = 0; k < batch.Count; k++)
            {
                int idx = batch.SampleIndices.Span[k];
                Assert.Equal(data.AsSpan(idx * 12, 12).ToArray(), batch.Images.Span.Slice(k * 12, 12).ToArray());
                Assert.Equal(idx * 3 % 7, batch.Labels.Span[k]);
                seen.Add(idx);
            }
        }
        Assert.Equal(split.Evaluation, seen);
    }

    [Fact]
    public void ReadAll_FewerSamplesThanBatch_GivesOneShortBatch()
    {
        using var dir = new TempDir();
        (NpySource src, float[] _) = Npy(dir, 3, labels: false);
        using NpySource owned = src;

        Batch only = Assert.Single(new BatchReader(src, [0, 1, 2], batchSize: 64).ReadAll());

        Assert.Equal(3, only.Count);
        Assert.True(only.Labels.IsEmpty);
    }

    [Fact]
    public void ReadBatch_SeveralBadImages_ReportsFirstInBatchOrder()
    {
        using var dir = new TempDir();
        for (int i = 0; i < 8; i++)
        {
            if (i is 3 or 6)
            {
                File.WriteAllBytes(dir.File($"{i}.png"), Fixtures.RandomBytes(50, i));
            }
            else
            {
                Fixtures.WriteImage(dir.File($"{i}.png"), Fixtures.RandomRgba(5, 5, i), 5, 5, SKEncodedImageFormat.Png);
            }
        }
        using var src = new ImageFolderSource(dir.Path, new SampleShape(3, 4, 4));
        var reader = new BatchReader(src, Enumerable.Range(0, 8).ToArray(), batchSize: 8, maxDegreeOfParallelism: 4);

        for (int repeat = 0; repeat < 5; repeat++)
        {
            DataAssert.Fails(() => reader.ReadBatch(0, new float[reader.BufferLength], null), dir.File("3.png"), "not a decodable image");
        }
    }

    [Fact]
    public void Constructor_BadArguments_Throw()
    {
        using var dir = new TempDir();
        (NpySource src, float[] _) = Npy(dir, 4);
        using NpySource owned = src;

        Assert.Throws<ArgumentNullException>(() => new BatchReader(null!, [0], 1));
        Assert.Throws<ArgumentNullException>(() => new BatchReader(src, null!, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchReader(src, [0], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchReader(src, [0], 1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchReader(src, [4], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchReader(src, [-1], 1));
    }

    [Fact]
    public void ReadBatch_BadArguments_Throw()
    {
        using var dir = new TempDir();
        (NpySource src, float[] _) = Npy(dir, 4);
        using NpySource owned = src;
        var reader = new BatchReader(src, [0, 1, 2], 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => reader.ReadBatch(2, new float[24], new int[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.ReadBatch(-1, new float[24], new int[2]));
        Assert.Throws<ArgumentException>(() => reader.ReadBatch(0, new float[23], new int[2]));
        Assert.Throws<ArgumentException>(() => reader.ReadBatch(0, new float[24], new int[1]));
        Assert.Throws<ArgumentException>(() => reader.ReadBatch(0, new float[24], null));
        Assert.Throws<ArgumentNullException>(() => reader.ReadBatch(0, null!, new int[2]));
    }
}
