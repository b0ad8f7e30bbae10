// Shared jest setup: the framework's matchers (toHaveResourceWithProperties, ...) and their types.
import { setupFrameworkJest } from '../../framework/testing';

setupFrameworkJest();
