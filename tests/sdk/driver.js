'use strict';
/*
 * Runs LivePerson's official agent SDK (node-agent-sdk, pinned in package.json) as a thin
 * remote control for the conformance test (test_sdk_conformance.py).
 *
 * stdin, one JSON object a line: first the SDK configuration ({accountId, username, password,
 * csdsDomain, refreshSessionInterval, requestTimeout}), then commands {id, op, method?, body?}:
 *   request  - agent[method](body, callback), e.g. getClock, subscribeExConversations,
 *              updateConversationField (the SDK's own request functions and Transformer)
 *   refreshWithoutCookie - the SDK's own refreshSession call, with an empty cookie jar
 *   dispose  - agent.dispose(), then exit 0
 * stdout, one JSON object a line, each with an `event`:
 *   received {seq, raw}           every websocket frame as it arrived, before the SDK read it
 *   sent {frame}                  every frame the SDK sent ('message:sent')
 *   notification {seq, type, body}  the SDK's reading of received frame `seq` (its event)
 *   login, refresh {error, ...}   the SDK's REST calls to agentVep, as its callbacks saw them
 *   connected {agentId, userId, oldAgentId, query}, closed {data}, error {error}, warn {message}
 *   reply {id, error, body}       the outcome of command `id`
 * Nothing here interprets the platform's frames: the Python side does.
 */

const readline = require('readline');
const request = require('request');
const Agent = require('node-agent-sdk').Agent;
const Transport = require('node-agent-sdk/lib/Transport');
const external = require('node-agent-sdk/lib/ExternalServices');

const CONVERSATION_EVENT = 'cqm.ExConversationChangeNotification';

let seq = 0;

function emit(event, fields) {
    process.stdout.write(JSON.stringify(Object.assign({event: event}, fields)) + '\n');
}

function describeError(err) {
    if (err === null || err === undefined) return null;
    if (err instanceof Error) {
        const out = {name: err.constructor.name, message: err.message};
        if (err.code !== undefined) out.code = err.code;
        if (err.payload !== undefined) out.payload = err.payload;
        return out;
    }
    return {name: 'response', response: err}; // a resp frame with code > 399
}

// Observe the frames before the SDK reads them: the Transformer changes them in place.
const onMessage = Transport.prototype._onMessage;
Transport.prototype._onMessage = function (data, flags) {
    seq += 1;
    emit('received', {seq: seq, raw: typeof data === 'string' ? data : String(data)});
    return onMessage.call(this, data, flags);
};

// Observe the SDK's REST calls (login and the session refresh) as its own callbacks see them.
const login = external.login;
external.login = function (options, callback) {
    login(options, (err, body, jar) => {
        const config = body && body.config ? body.config : null;
        emit('login', {error: describeError(err), config: config, csrf: Boolean(body && body.csrf)});
        callback(err, body, jar);
    });
};
const refreshSession = external.refreshSession;
external.refreshSession = function (options, callback) {
    refreshSession(options, (err, body) => {
        emit('refresh', {error: describeError(err), body: body === undefined ? null : body});
        callback(err, body);
    });
};

// The websocket URL's query (the API version); the path holds the bearer and stays out.
function socketQuery(agent) {
    const url = agent.transport && agent.transport.ws ? String(agent.transport.ws.url) : '';
    const at = url.indexOf('?');
    return at < 0 ? '' : url.slice(at + 1);
}

function start(conf) {
    const agent = new Agent(conf);
    agent.on('error', (err) => emit('error', {error: describeError(err)}));
    agent.on('warn', (warning) => emit('warn', {message: warning && warning.message}));
    agent.on('message:sent', (frame) => emit('sent', {frame: frame}));
    agent.on('closed', (data) => emit('closed', {data: data}));
    agent.on(CONVERSATION_EVENT, (body) => emit('notification', {
        seq: seq, type: CONVERSATION_EVENT, body: body,
    }));
    agent.on('connected', () => emit('connected', {
        agentId: agent.agentId, userId: agent.userId, oldAgentId: agent.__oldAgentId,
        query: socketQuery(agent),
    }));
    return agent;
}

function run(agent, conf, command) {
    const reply = (err, body) => emit('reply', {
        id: command.id, error: describeError(err), body: body === undefined ? null : body,
    });
    switch (command.op) {
        case 'request':
            if (typeof agent[command.method] !== 'function') {
                return reply(new Error(`the SDK has no request ${command.method}`));
            }
            return agent[command.method](command.body || {}, reply);
        case 'refreshWithoutCookie':
            return agent.csdsClient.getAll((err, domains) => {
                if (err || !domains) return reply(err || new Error('no domains'));
                return refreshSession({
                    accountId: conf.accountId, domain: domains.agentVep, csrf: agent.csrf,
                    jar: request.jar(),
                }, reply);
            });
        case 'dispose':
            agent.dispose();
            reply(null, {disposed: true});
            return process.exit(0);
        default:
            return reply(new Error(`unknown op ${command.op}`));
    }
}

function main() {
    const lines = readline.createInterface({input: process.stdin});
    let agent = null;
    let conf = null;
    lines.on('line', (line) => {
        if (!line.trim()) return;
        const message = JSON.parse(line);
        if (agent === null) {
            conf = message;
            agent = start(conf);
        } else {
            run(agent, conf, message);
        }
    });
    lines.on('close', () => process.exit(agent === null ? 2 : 0));
}

main();
