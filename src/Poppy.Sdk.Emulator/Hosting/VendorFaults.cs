namespace Poppy.Sdk.Emulator;

/// <summary>
/// Faults one emulated vendor injects into its answers, in the vendor's own error format.
/// Thread-safe; deterministic for a given <see cref="Seed"/>.
/// </summary>
public sealed class VendorFaults
{
    private readonly object _gate = new();
    private Random _random;
    private int _failNext;
    private int _failNextStatus = 503;
    private int _rateLimitNext;
    private int _resetNext;
    private int _loseAnswerNext;

    internal VendorFaults(int seed)
    {
        Seed = seed;
        _random = new Random(seed);
    }

    /// <summary>The seed of the error-rate dice.</summary>
    public int Seed { get; private set; }

    /// <summary>The share (0–1) of requests answered with a 503. Default 0.</summary>
    public double ErrorRate { get; set; }

    /// <summary>Latency added to every answer, waited on the emulator's clock. Default none.</summary>
    public TimeSpan AddedLatency { get; set; }

    /// <summary>When true, every request gets a 503 (the vendor is down).</summary>
    public bool VendorDown { get; set; }

    /// <summary>Answers the next <paramref name="count"/> requests with <paramref name="status"/>.</summary>
    /// <param name="count">How many.</param>
    /// <param name="status">The HTTP status (5xx or 4xx).</param>
    public void FailNext(int count, int status = 503)
    {
        lock (_gate)
        {
            _failNext = count;
            _failNextStatus = status;
        }
    }

    /// <summary>Answers the next <paramref name="count"/> requests with 429 (a storm).</summary>
    /// <param name="count">How many.</param>
    /// <param name="retryAfter">A <c>Retry-After</c> to send with each, or none.</param>
    public void RateLimitNext(int count, TimeSpan? retryAfter = null)
    {
        lock (_gate)
        {
            _rateLimitNext = count;
            RateLimitRetryAfter = retryAfter;
        }
    }

    /// <summary>The <c>Retry-After</c> sent with injected 429s, if any.</summary>
    public TimeSpan? RateLimitRetryAfter { get; private set; }

    /// <summary>Aborts the connection of the next <paramref name="count"/> requests without an answer.</summary>
    /// <param name="count">How many.</param>
    public void ResetNext(int count)
    {
        lock (_gate)
        {
            _resetNext = count;
        }
    }

    /// <summary>
    /// Carries out the next <paramref name="count"/> requests, then aborts their connections without the answer: the
    /// vendor acted (a service was created, a version activated) but the caller never hears of it.
    /// </summary>
    /// <param name="count">How many.</param>
    public void LoseAnswerNext(int count)
    {
        lock (_gate)
        {
            _loseAnswerNext = count;
        }
    }

    /// <summary>Clears every fault and reseeds the dice.</summary>
    /// <param name="seed">The new seed.</param>
    public void Clear(int seed = 1)
    {
        lock (_gate)
        {
            _failNext = _rateLimitNext = _resetNext = _loseAnswerNext = 0;
            ErrorRate = 0;
            AddedLatency = TimeSpan.Zero;
            VendorDown = false;
            Seed = seed;
            _random = new Random(seed);
        }
    }

    internal FaultDecision Decide()
    {
        lock (_gate)
        {
            if (_resetNext > 0)
            {
                _resetNext--;
                return new FaultDecision(FaultKind.Reset, 0);
            }

            if (VendorDown)
            {
                return new FaultDecision(FaultKind.Status, 503);
            }

            if (_rateLimitNext > 0)
            {
                _rateLimitNext--;
                return new FaultDecision(FaultKind.RateLimited, 429);
            }

            if (_failNext > 0)
            {
                _failNext--;
                return new FaultDecision(FaultKind.Status, _failNextStatus);
            }

            if (_loseAnswerNext > 0)
            {
                _loseAnswerNext--;
                return new FaultDecision(FaultKind.LoseAnswer, 0);
            }

            if (ErrorRate > 0 && _random.NextDouble() < ErrorRate)
            {
                return new FaultDecision(FaultKind.Status, 503);
            }

            return new FaultDecision(FaultKind.None, 0);
        }
    }
}

internal enum FaultKind
{
    None,
    Status,
    RateLimited,
    Reset,
    LoseAnswer,
}

internal readonly record struct FaultDecision(FaultKind Kind, int Status);
