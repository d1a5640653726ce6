namespace Poppy.Sdk.CloudFront.Internal.Signing;

/// <summary>
/// The credentials type the linked <c>AwsSigV4Signer</c> (compiled in from Poppy.Sdk.CloudFront) signs with.
/// Internal, and in the signer's own namespace (found before the provider's public <c>Poppy.Sdk.CloudFront.AwsCredentials</c>),
/// so a project that sees the internals of both assemblies does not get two types of the same full name.
/// </summary>
/// <param name="AccessKeyId">The access key id.</param>
/// <param name="SecretAccessKey">The secret access key.</param>
/// <param name="SessionToken">The session token, if any.</param>
internal sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    /// <inheritdoc />
    public override string ToString() => $"AwsCredentials {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = *** }}";
}
