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

/** The global policy ("All APIs") of a new store: it does nothing, so every API behaves as its own policy says. */
export const DEFAULT_GLOBAL_POLICY_XML = `<policies>
    <inbound>
    </inbound>
    <backend>
    </backend>
    <outbound>
    </outbound>
    <on-error>
    </on-error>
</policies>
`;
