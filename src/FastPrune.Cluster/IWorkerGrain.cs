namespace FastPrune.Cluster;

/// <summary>
/// A worker silo's evaluator: one activation per silo (the grain key is the silo's address, and the coordinator places
/// it there with a placement hint), which evaluates one genome at a time on the calibrated model the worker opened for the run.
/// </summary>
internal interface IWorkerGrain : IGrainWithStringKey
{
    /// <summary>Evaluates <paramref name="genome"/> of the run whose options are <paramref name="spec"/> (the
    /// pipeline's options as JSON: the run identity), with reconstruction <paramref name="mode"/>.</summary>
    Task<WorkerReply> Evaluate(string spec, int[] genome, string mode);
}

/// <summary>What a worker sends back: exactly the fields of a history row that a local evaluation fills, or the
/// failure that the run must report (as the kind the API would give it and its message), or that the grain was
/// activated on another silo than the one it is keyed by and evaluated nothing (<c>Misplaced</c>).</summary>
[GenerateSerializer, Immutable]
internal sealed record WorkerReply(
    [property: Id(0)] long Macs,
    [property: Id(1)] long Params,
    [property: Id(2)] double Accuracy,
    [property: Id(3)] double TSurgery,
    [property: Id(4)] double TRecon,
    [property: Id(5)] double TSession,
    [property: Id(6)] double TInfer,
    [property: Id(7)] int Escalations,
    [property: Id(8)] string Silo,
    [property: Id(9)] int? FailureKind = null,
    [property: Id(10)] string? Failure = null,
    [property: Id(11)] bool Misplaced = false);
