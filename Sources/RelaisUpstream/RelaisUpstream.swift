// Pushes the local LRS outbox to the upstream LRS.
