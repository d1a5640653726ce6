namespace Poppy.Sdk.CloudFront;

/// <summary>AWS credentials for signing requests (Signature Version 4). <see cref="ToString"/> never shows the secret or the token.</summary>
/// <param name="AccessKeyId">The access key id (public; appears in the Authorization header).</param>
/// <param name="SecretAccessKey">The secret access key.</param>
/// <param name="SessionToken">The session token of temporary (STS) credentials, if any.</param>
public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"AwsCredentials {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = ***, SessionToken = {(SessionToken is null ? "none" : "***")} }}";
}
