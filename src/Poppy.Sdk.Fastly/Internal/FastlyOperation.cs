using System.Globalization;

namespace Poppy.Sdk.Fastly.Internal;

/// <summary>
/// An operation that is already finished: Fastly activates versions synchronously, so create, update
/// and delete complete within the call. Its id (<c>fastly:&lt;kind&gt;:&lt;service&gt;[:&lt;version&gt;]</c>)
/// lets <see cref="FastlyCdnProvider.ResumeOperationAsync"/> re-read the outcome after a restart.
/// </summary>
internal sealed class FastlyOperation<T> : CdnOperation<T>
{
    private FastlyOperation(string id, OperationState<T> state)
    {
        Id = id;
        SetState(state);
    }

    public override string Id { get; }

    public static FastlyOperation<T> Succeeded(string id, T value) => new(id, OperationState<T>.Success(value));

    public static FastlyOperation<T> Failed(string id, Exception error) => new(id, OperationState<T>.Failure(error));

    protected override ValueTask<OperationState<T>> PollAsync(CancellationToken cancellationToken) => ValueTask.FromResult(State);
}

/// <summary>Formats and parses Fastly operation ids.</summary>
internal static class FastlyOperationId
{
    public const string Prefix = "fastly:";

    public static string Create(string vendorServiceId, int version) => Format("create", vendorServiceId, version);

    public static string Update(string vendorServiceId, int version) => Format("update", vendorServiceId, version);

    public static string Delete(string? vendorServiceId) => Prefix + "delete:" + (vendorServiceId ?? "-");

    public static bool TryParse(string operationId, out string kind, out string vendorServiceId, out int? version)
    {
        kind = vendorServiceId = "";
        version = null;
        if (operationId is null || !operationId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = operationId[Prefix.Length..].Split(':');
        if (parts.Length is < 2 or > 3 || parts[0] is not ("create" or "update" or "delete") || parts[1].Length == 0)
        {
            return false;
        }

        if (parts.Length == 3)
        {
            if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var v) || parts[0] == "delete")
            {
                return false;
            }

            version = v;
        }
        else if (parts[0] != "delete")
        {
            return false;
        }

        kind = parts[0];
        vendorServiceId = parts[1];
        return true;
    }

    private static string Format(string kind, string vendorServiceId, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{kind}:{vendorServiceId}:{version}");
}
