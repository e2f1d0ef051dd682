using Xunit;

namespace FastPrune.Cluster.Tests;

/// <summary><c>--cluster</c> values: each accepted form gives its provider and connection; refusals name the bad part.</summary>
public sealed class ClusteringTests
{
    [Theory]
    [InlineData("localhost", ClusteringProvider.Localhost, null, null, false)]
    [InlineData(" LocalHost ", ClusteringProvider.Localhost, null, null, false)]
    [InlineData("redis=10.0.0.5:6379", ClusteringProvider.Redis, "10.0.0.5:6379", null, false)]
    [InlineData("redis=a:6379,b:6380,password=x", ClusteringProvider.Redis, "a:6379,b:6380,password=x", null, false)]
    [InlineData("adonet=Npgsql;Host=db;Database=orleans;Username=u", ClusteringProvider.AdoNet, "Host=db;Database=orleans;Username=u", "Npgsql", false)]
    [InlineData("adonet=MySqlConnector;Server=db;Database=orleans", ClusteringProvider.AdoNet, "Server=db;Database=orleans", "MySqlConnector", false)]
    [InlineData("kubernetes+redis=redis.default.svc:6379", ClusteringProvider.Redis, "redis.default.svc:6379", null, true)]
    [InlineData("kubernetes+adonet=Npgsql;Host=pg", ClusteringProvider.AdoNet, "Host=pg", "Npgsql", true)]
    public void Parse_AcceptedForm_ProviderAndConnection(string text, ClusteringProvider provider, string? connection, string? invariant, bool kubernetes)
    {
        var c = Clustering.Parse(text);
        Assert.Equal(new Clustering(provider, connection, invariant, kubernetes), c);
    }

    [Theory]
    [InlineData("", "unknown clustering ''")]
    [InlineData("redis=password=x", "names no server")]
    [InlineData("redis=host:99999", "redis configuration 'host:99999'")]
    [InlineData("adonet=;Host=db", "ADO.NET invariant ''")]
    [InlineData("adonet=npgsql;Host=db", "ADO.NET invariant 'npgsql'")]
    [InlineData("kubernetes+", "unknown clustering ''")]
    [InlineData("kubernetes+kubernetes+redis=a:1", "unknown clustering 'kubernetes+redis'")]
    public void Parse_BadValue_InvalidOptionsNamingPart(string text, string part)
    {
        var e = Assert.Throws<FastPruneException>(() => Clustering.Parse(text));
        Assert.Equal(FastPruneErrorKind.InvalidOptions, e.Kind);
        Assert.StartsWith($"--cluster {text}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(part, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void ToString_WithSecrets_NamesProviderOnly()
    {
        Assert.Equal("kubernetes+redis", Clustering.Parse("kubernetes+redis=a:6379,password=hunter2").ToString());
        Assert.Equal("adonet (Npgsql)", Clustering.Parse("adonet=Npgsql;Host=db;Password=hunter2").ToString());
    }
}
