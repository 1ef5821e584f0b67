/**
 * The typed client recipe (docs/frontend.md): graphql-codegen's client preset
 * over the example operations, as a frontend runs it over its own. It writes
 * typed documents (`examples/client/gql/graphql.ts`) and the trusted-documents
 * manifest the gateway's TRUSTED_DOCUMENTS reads (`persisted-documents.json`).
 * `npm run codegen:client`; test/e2e/frontend.test.ts runs it, compiles the
 * example client against it and drives it in Chromium.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';

const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  documents: ['examples/*.graphql'],
  generates: {
    'examples/client/gql/': {
      preset: 'client',
      presetConfig: {
        // persisted-documents.json, and a `__meta__.hash` on every document.
        persistedDocuments: true,
        fragmentMasking: false,
      },
      // Apollo Client's cache adds __typename to every selection before it sends a
      // document: the manifest's documents must have them too.
      documentTransforms: [addTypenameSelectionDocumentTransform],
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
