/** The policy of a new API: inherit everything, no credential (the cloud service's default shape). */
export const DEFAULT_POLICY_XML = `<policies>
    <inbound>
        <base />
    </inbound>
    <backend>
        <base />
    </backend>
    <outbound>
        <base />
    </outbound>
    <on-error>
        <base />
    </on-error>
</policies>
`;
