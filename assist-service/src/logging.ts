import { type DestinationStream, type Logger, pino } from 'pino';
import type { ServiceConfig } from './config.ts';

/**
 * The service's logger. Conversation text never goes through it: routes log sizes, counts and ids.
 * The redaction list is a second line of defence for fields that might slip into a log call.
 */
export function createLogger(
  config: Pick<ServiceConfig, 'logLevel'>,
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      level: config.logLevel,
      base: { service: 'assist-service' },
      redact: {
        paths: [
          'text',
          'draft',
          'finalText',
          'query',
          'messages',
          '*.text',
          '*.messages',
          '*.draft',
          '*.query',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
