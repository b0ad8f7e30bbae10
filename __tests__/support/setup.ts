// Shared jest setup: cdktf's matchers (toHaveResourceWithProperties, ...).
import { Testing } from 'cdktf';

Testing.setupJest();
