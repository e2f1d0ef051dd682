using FastPrune.Data;
using Xunit;

namespace FastPrune.Tests.Data;

internal static class DataAssert
{
    /// <summary>Asserts a one-line <see cref="DataException"/> naming <paramref name="path"/> and containing <paramref name="cause"/>.</summary>
    public static DataException Fails(Action action, string path, string cause)
    {
        DataException e = Assert.Throws<DataException>(action);
        Assert.StartsWith(path, e.Message);
        Assert.Contains(cause, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    /// <summary>Reads every sample of <paramref name="source"/> through a <see cref="BatchReader"/>.</summary>
    public static void ReadAll(IDataSource source, int batchSize = 2)
    {
        var reader = new BatchReader(source, Enumerable.Range(0, source.Count).ToArray(), batchSize, maxDegreeOfParallelism: 2);
        foreach (Batch _ in reader.ReadAll())
        {
        }
    }
}
