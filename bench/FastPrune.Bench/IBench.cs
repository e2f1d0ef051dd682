namespace FastPrune.Bench;

/// <summary>One measurement, selected by name on the command line: <c>dotnet run -c Release --project bench/FastPrune.Bench -- NAME [args]</c>.</summary>
public interface IBench
{
    /// <summary>The name given on the command line.</summary>
    string Name { get; }

    /// <summary>One line saying what is measured and against which baseline.</summary>
    string Summary { get; }

    /// <summary>Runs the measurement; returns the process exit code.</summary>
    int Run(string[] args);
}
