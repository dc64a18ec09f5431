import type { NextAction } from '../contract/index.ts';
import { ALTERNATIVE_FLOOR } from '../engines/offline/confidence.ts';
import {
  type ModelNextAction,
  type RoutingInput,
  suggestNextActionsWithModel,
} from '../models/summary-with-model.ts';
import type { ScriptProfile } from '../retrieval/script-profiles.ts';
import type { ActInput, Actor, FinishActing } from './act.ts';
import { sourceOfHit } from './model-composer.ts';
import { degradedBy, type ModelStageDependencies, recordStageCall, stageTask } from './model-stage.ts';

/** Answers the model may rest a step on, best first (the draft gets up to five). */
const MAX_SOURCES = 3;

/**
 * The act stage with a model: next actions from `suggestNextActionsWithModel` (forced tool use;
 * only the team's departments and routing rules, a made-up one dropped and counted), each with
 * its reason and a precondition («сначала: …») when one is still to be met. The call goes out
 * beside the draft. Any model fault gives the offline rules' actions with the reason in
 * `degraded`; an automated notice is closed by the offline rules without asking.
 */
export function createModelActor(dependencies: ModelStageDependencies<Actor>): Actor {
  const { offline } = dependencies;
  return {
    id: dependencies.id,
    networkBound: true,
    async begin(input, options): Promise<FinishActing> {
      if (input.understanding.automated) return offline.begin(input, options);
      try {
        const result = await suggestNextActionsWithModel(
          {
            messages: input.messages.map((message) => ({ role: message.role, text: message.text })),
            sources: input.retrieved.answers
              .filter((answer) => answer.score >= ALTERNATIVE_FLOOR)
              .slice(0, MAX_SOURCES)
              .map((answer) => sourceOfHit(answer.hit)),
            routing: routingOf(input.profile, input.language),
            language: input.language,
          },
          stageTask(dependencies, options.signal),
        );
        const recorded = recordStageCall(dependencies, result, 'next actions with a model', {
          actions: result.actions.length,
          droppedActions: result.droppedActions,
        });
        const nextActions = toNextActions(result.actions, input);
        return () => ({ nextActions, ...recorded });
      } catch (error) {
        const degraded = degradedBy(error, options.signal, dependencies, 'next actions by the offline rules');
        const finish = await offline.begin(input, options);
        return (suggestions) => ({ ...finish(suggestions), degraded });
      }
    },
  };
}

/** The team's departments and routing rules as the prompt states them, reasons in the language. */
function routingOf(profile: ScriptProfile, language: string): RoutingInput {
  return {
    departments: profile.departments.map((department) => ({
      id: department.id,
      name: department.name,
      ...(department.description ? { description: department.description } : {}),
    })),
    rules: profile.routing.map((rule) => {
      const reason = rule.reasons?.[language] ?? rule.reason;
      return {
        id: rule.id,
        action: rule.action,
        ...(rule.department ? { department: rule.department } : {}),
        ...(rule.slot ? { slot: rule.slot } : {}),
        ...(rule.when ? { when: rule.when } : {}),
        ...(reason ? { reason } : {}),
      };
    }),
  };
}

/** The model's steps in the contract's shape, in the model's order (the first ranks highest). */
function toNextActions(actions: readonly ModelNextAction[], input: ActInput): NextAction[] {
  const departments = new Map(input.profile.departments.map((department) => [department.id, department]));
  return actions.map((action, index) => {
    const department = action.department ? departments.get(action.department) : undefined;
    return {
      type: action.type,
      reason: action.reason,
      ...(department ? { department: { id: department.id, name: department.name } } : {}),
      ...(action.slot ? { slot: action.slot } : {}),
      ...(action.ask ? { ask: action.ask } : {}),
      ...(action.ruleId ? { ruleId: action.ruleId } : {}),
      ...(action.precondition ? { precondition: action.precondition } : {}),
      priority: actions.length - index,
    };
  });
}
