using FastPrune.Search;

namespace FastPrune.Cli.Commands;

/// <summary>A one-line progress bar on stderr: generation, subnets/s, best accuracy at each target, ETA.</summary>
internal sealed class ProgressLine(TextWriter err, string folder) : IProgress<RunProgress>
{
    private bool _started;
    private readonly bool _tty = !Console.IsErrorRedirected && ReferenceEquals(err, Console.Error);
    private DateTime _last = DateTime.MinValue;
    private bool _open;

    public void Report(RunProgress p)
    {
        // Said once the run has accepted its folder, so that a refused folder gives one line only.
        if (!_started)
        {
            _started = true;
            err.WriteLine($"fastprune: run folder {folder}");
        }
        if (p.Message is not null)
        {
            Done();
            err.WriteLine($"fastprune: {p.Message}");
            return;
        }
        // Without a terminal, a line every few seconds is enough for a log.
        if (!_tty && (DateTime.UtcNow - _last).TotalSeconds < 5 && p.Evaluated < p.Budget) return;
        _last = DateTime.UtcNow;
        int width = 24, filled = (int)Math.Round(width * Math.Min(1.0, (double)p.Evaluated / p.Budget));
        var best = string.Join(" ", p.BestAtTargets.Select((b, i) => double.IsNaN(b) ? "-" : $"{b:P1}"));
        var line = $"[{new string('#', filled)}{new string('.', width - filled)}] gen {p.Generation} · {p.Evaluated}/{p.Budget} subnets · " +
                   $"{p.SubnetsPerSecond:F2}/s · best at targets {best} · ETA {p.Eta:hh\\:mm\\:ss}";
        if (_tty) { err.Write("\r" + line.PadRight(Console.WindowWidth > 0 ? Math.Min(Console.WindowWidth - 1, 160) : 120)); _open = true; }
        else err.WriteLine(line);
    }

    public void Done()
    {
        if (_open) err.WriteLine();
        _open = false;
    }
}
