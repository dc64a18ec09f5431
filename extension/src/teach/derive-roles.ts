import type { RecipeRoles, RoleMatcher } from '@naparnik/assist-service/contract';
import { matchesRole, roleOf, sideOf } from '../adapters/recipe.ts';
import {
  IGNORED_ATTRIBUTES,
  isPlainAttributeName,
  isStableValue,
  looksGenerated,
  stableClasses,
} from './stable-names.ts';

/** Class words that say who wrote a message; a rule built on them is more likely what it seems. */
const ROLE_WORDS =
  /(?:^|[-_])(?:in|out|incoming|outgoing|inbound|outbound|them|us|me|mine|own|self|their|theirs|agent|operator|customer|client|visitor|user|staff|support|left|right|sent|received|reply|answer|question)(?:$|[-_])/i;

interface Feature {
  key: string;
  matcher: RoleMatcher;
  /** On the message element itself rather than inside it. */
  own: boolean;
  /** A class name a build tool generated: used only when nothing else tells the roles apart. */
  generated: boolean;
  named: boolean;
}

function inside(item: Element, depth: number): Element[] {
  const found: Element[] = [];
  const visit = (node: Element, level: number) => {
    for (const child of Array.from(node.children)) {
      found.push(child);
      if (level < depth) visit(child, level + 1);
    }
  };
  visit(item, 1);
  return found;
}

function featuresOf(item: Element): Map<string, Feature> {
  const features = new Map<string, Feature>();
  const add = (feature: Feature) => {
    const known = features.get(feature.key);
    if (!known || (feature.own && !known.own)) features.set(feature.key, feature);
  };
  for (const element of [item, ...inside(item, 3)]) {
    const own = element === item;
    for (const name of Array.from(element.classList)) {
      if (!/^[\w-]+$/.test(name)) continue;
      const stable = stableClasses(element).includes(name);
      // A generated name is still a clue when nothing better exists; state classes are not.
      if (!stable && !looksGenerated(name)) continue;
      add({
        key: `class:${name}`,
        matcher: { class: name },
        own,
        generated: !stable,
        named: ROLE_WORDS.test(name),
      });
    }
    for (const attribute of Array.from(element.attributes)) {
      const name = attribute.name;
      if (IGNORED_ATTRIBUTES.has(name) || !isPlainAttributeName(name)) continue;
      if (!isStableValue(attribute.value)) {
        add({ key: `has:${name}`, matcher: { attribute: name }, own, generated: false, named: false });
        continue;
      }
      add({
        key: `attr:${name}=${attribute.value}`,
        matcher: { attribute: name, value: attribute.value },
        own,
        generated: false,
        named: ROLE_WORDS.test(attribute.value),
      });
    }
  }
  return features;
}

export interface RoleRuleResult {
  roles: RecipeRoles;
  /** The rule leans on generated class names and will likely break with the page's next release. */
  fragile: boolean;
}

/**
 * The rule that tells the customer's messages from the operator's, from what differs between the
 * two the operator picked: an attribute value, a class, the side of the list. Every candidate is
 * tried on all the list's messages; the one that tells the most apart without ambiguity wins, and
 * a pair (customer and operator both named) beats a single class with an "otherwise".
 */
export function deriveRoles(
  customer: Element,
  operator: Element,
  messages: Element[],
  list: Element,
): RoleRuleResult | undefined {
  const theirs = featuresOf(customer);
  const ours = featuresOf(operator);
  const onlyCustomer = [...theirs.values()].filter((feature) => !ours.has(feature.key));
  const onlyOperator = [...ours.values()].filter((feature) => !theirs.has(feature.key));

  const candidates: Array<{ roles: RecipeRoles; weight: number; fragile: boolean }> = [];
  const weigh = (features: Feature[]) =>
    features.reduce(
      (sum, feature) =>
        sum +
        (feature.own ? 2 : 0) +
        (feature.named ? 3 : 0) +
        ('value' in feature.matcher ? 2 : 0) -
        (feature.generated ? 20 : 0),
      0,
    );
  // Pairs of the same kind: one attribute with two values, or two classes.
  for (const mine of onlyCustomer) {
    for (const other of onlyOperator) {
      const sameAttribute =
        'attribute' in mine.matcher &&
        'attribute' in other.matcher &&
        mine.matcher.attribute === other.matcher.attribute;
      const bothClasses = 'class' in mine.matcher && 'class' in other.matcher;
      if (!sameAttribute && !bothClasses) continue;
      candidates.push({
        roles: { customer: mine.matcher, operator: other.matcher, otherwise: 'customer' },
        weight: 4 + weigh([mine, other]) + (sameAttribute ? 2 : 0),
        fragile: mine.generated || other.generated,
      });
    }
  }
  for (const feature of onlyOperator) {
    candidates.push({
      roles: { operator: feature.matcher, otherwise: 'customer' },
      weight: weigh([feature]),
      fragile: feature.generated,
    });
  }
  for (const feature of onlyCustomer) {
    candidates.push({
      roles: { customer: feature.matcher, otherwise: 'operator' },
      weight: weigh([feature]),
      fragile: feature.generated,
    });
  }
  const customerSide = sideOf(customer, list);
  const operatorSide = sideOf(operator, list);
  if (customerSide && operatorSide && customerSide !== operatorSide) {
    candidates.push({
      roles: { customer: { side: customerSide }, operator: { side: operatorSide }, otherwise: 'customer' },
      weight: 3,
      fragile: false,
    });
  }

  let best: { roles: RecipeRoles; score: number; fragile: boolean } | undefined;
  for (const candidate of candidates) {
    const { roles } = candidate;
    if (roleOf(customer, roles, list) !== 'customer' || roleOf(operator, roles, list) !== 'operator')
      continue;
    // Messages both matchers claim are ambiguous: the rule does not really tell the roles apart.
    let ambiguous = 0;
    let unclaimed = 0;
    for (const message of messages) {
      const isCustomer = roles.customer ? matchesRole(message, roles.customer, list) : false;
      const isOperator = roles.operator ? matchesRole(message, roles.operator, list) : false;
      if (isCustomer && isOperator) ambiguous += 1;
      else if (!isCustomer && !isOperator) unclaimed += 1;
    }
    const paired = Boolean(roles.customer && roles.operator);
    // A pair that leaves messages unclaimed has found the system lines between them.
    const rule: RecipeRoles = paired && unclaimed > 0 ? { ...roles, otherwise: 'system' } : roles;
    const score = candidate.weight - ambiguous * 10 - (paired ? 0 : 1);
    if (!best || score > best.score) best = { roles: rule, score, fragile: candidate.fragile };
  }
  return best ? { roles: best.roles, fragile: best.fragile } : undefined;
}
