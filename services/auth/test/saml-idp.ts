import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import * as validator from '@authenio/samlify-node-xmllint';
import * as samlify from 'samlify';

samlify.setSchemaValidator(validator);

const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

export const IDP_ENTITY_ID = 'https://idp.test/metadata';
export const IDP_SSO_URL = 'https://idp.test/sso';
export const IDP_CERT = fixture('saml-idp.crt');

const RESPONSE = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{ID}" Version="2.0" IssueInstant="{IssueInstant}" Destination="{Destination}" InResponseTo="{InResponseTo}"><saml:Issuer>{Issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema" ID="{AssertionID}" Version="2.0" IssueInstant="{IssueInstant}"><saml:Issuer>{Issuer}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{NameID}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="{NotOnOrAfter}" Recipient="{Destination}" InResponseTo="{InResponseTo}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{IssueInstant}" NotOnOrAfter="{NotOnOrAfter}"><saml:AudienceRestriction><saml:Audience>{Audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="{IssueInstant}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>{Attributes}</saml:Assertion></samlp:Response>`;

function attributes(values: Record<string, string[]>): string {
  const lines = Object.entries(values).map(
    ([name, list]) =>
      `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${list
        .map((value) => `<saml:AttributeValue xsi:type="xs:string">${value}</saml:AttributeValue>`)
        .join('')}</saml:Attribute>`,
  );
  return `<saml:AttributeStatement>${lines.join('')}</saml:AttributeStatement>`;
}

export interface SamlAnswer {
  /** Our SP metadata (rpc.auth.saml.metadata) and the redirect URL from rpc.auth.saml.begin. */
  spMetadata: string;
  redirectUrl: string;
  email: string;
  groups?: string[];
  audience?: string;
  /** Shifts every instant of the response, to step outside the clock-skew bound. */
  offsetMs?: number;
  /** Signs with the attacker's key instead of the IdP's. */
  forged?: boolean;
}

/** samlify acting as the IdP: reads our AuthnRequest, answers with a signed HTTP-POST response. */
export function samlIdp() {
  const entity = (key: string, cert: string) =>
    samlify.IdentityProvider({
      entityID: IDP_ENTITY_ID,
      privateKey: fixture(key),
      signingCert: fixture(cert),
      wantAuthnRequestsSigned: false,
      singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: IDP_SSO_URL }],
    });
  const genuine = entity('saml-idp.key', 'saml-idp.crt');
  const attacker = entity('saml-attacker.key', 'saml-attacker.crt');
  return {
    /** Base64 SAMLResponse for the AuthnRequest in `redirectUrl`. */
    async respond(input: SamlAnswer): Promise<string> {
      const sp = samlify.ServiceProvider({ metadata: input.spMetadata });
      const query = Object.fromEntries(new URL(input.redirectUrl).searchParams);
      const request = await genuine.parseLoginRequest(sp, 'redirect', { query });
      const now = Date.now() + (input.offsetMs ?? 0);
      const values = {
        ID: `_${randomUUID()}`,
        AssertionID: `_${randomUUID()}`,
        IssueInstant: new Date(now).toISOString(),
        NotOnOrAfter: new Date(now + 5 * 60_000).toISOString(),
        Destination: sp.entityMeta.getAssertionConsumerService(
          samlify.Constants.namespace.binding.post,
        ) as string,
        InResponseTo: (request.extract as { request: { id: string } }).request.id,
        Issuer: IDP_ENTITY_ID,
        NameID: input.email,
        Audience: input.audience ?? sp.entityMeta.getEntityID(),
        Attributes: attributes({ email: [input.email], groups: input.groups ?? [] }),
      };
      const idp = input.forged ? attacker : genuine;
      const requestInfo = request as unknown as Parameters<typeof idp.createLoginResponse>[1];
      const response = await idp.createLoginResponse(sp, requestInfo, 'post', { email: input.email }, () => ({
        id: values.ID,
        context: RESPONSE.replace(/\{(\w+)\}/g, (_, tag: keyof typeof values) => values[tag]),
      }));
      return response.context;
    },
  };
}

export const decode = (response: string): string => Buffer.from(response, 'base64').toString('utf8');
export const encode = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64');
