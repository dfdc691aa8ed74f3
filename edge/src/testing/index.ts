export { CENTRAL_PEER_CODES, CentralPeer, type PeerError, TEST_SECRET } from './central-peer.js';
