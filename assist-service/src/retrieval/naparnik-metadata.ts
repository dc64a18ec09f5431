// The Naparnik knowledge formats, validated at ingest; read back here from chunk metadata.
export {
  type Department,
  type DepartmentsMetadata,
  departmentsMetadataSchema,
  naparnikMetadataSchema,
  type RoutingRuleMetadata,
  routingRuleMetadataSchema,
  type ScriptRulesMetadata,
  type ScriptStepMetadata,
  scriptRulesMetadataSchema,
  scriptStepMetadataSchema,
  type TemplateMetadata,
  templateMetadataSchema,
} from '@naparnik/ingest/naparnik-schema';
